// What src/pg-wire/jdbc.test.ts asks of Debian's PostgreSQL JDBC driver:
// java -cp /usr/share/java/postgresql.jar Probe.java <port> <user> <schema> <table>, the key in HUITONG_KEY.
// Prints tab-separated lines: TABLE schema name remarks, COLUMN name type_name remarks, ROW values…
import java.sql.*;
import java.util.Properties;

public class Probe {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", System.getenv("HUITONG_KEY"));
    props.setProperty("sslmode", "disable");
    String schema = args[2], table = args[3];
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + args[0] + "/huitong", props)) {
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rs.next())
          System.out.println("TABLE\t" + rs.getString("TABLE_SCHEM") + "\t" + rs.getString("TABLE_NAME") + "\t" + rs.getString("REMARKS"));
      }
      try (ResultSet rs = meta.getColumns(null, schema, table, "%")) {
        while (rs.next())
          System.out.println("COLUMN\t" + rs.getString("COLUMN_NAME") + "\t" + rs.getString("TYPE_NAME") + "\t" + rs.getString("REMARKS"));
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT xm, sfzh, qh, nl FROM " + schema + "." + table + " WHERE nl > ? ORDER BY nl")) {
        ps.setInt(1, 50);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next())
            System.out.println("ROW\t" + rs.getString(1) + "\t" + rs.getString(2) + "\t" + rs.getString(3) + "\t" + rs.getLong(4));
        }
      }
    }
  }
}
