"""What src/pg-wire/psycopg2.test.ts asks of Debian's psycopg2: run with /usr/bin/python3.

Connects with PGHOST, PGPORT, PGUSER, PGPASSWORD (libpq's variables), reads the catalog and the
table named in argv[1] (schema.table), and prints one JSON object; a refused query's SQLSTATE too.
"""
import json
import sys

import psycopg2

table, ungranted = sys.argv[1], sys.argv[2]
out = {}
conn = psycopg2.connect(dbname="huitong", sslmode="disable")
with conn.cursor() as cur:
    cur.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_schema LIKE 'p_%' ORDER BY table_name"
    )
    out["tables"] = [f"{s}.{t}" for s, t in cur.fetchall()]
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_schema || '.' || table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    out["columns"] = [list(r) for r in cur.fetchall()]
    cur.execute(f"SELECT xm, sfzh, qh, nl FROM {table} WHERE nl > %s ORDER BY nl", (50,))
    out["description"] = [d.name for d in cur.description]
    out["rows"] = [[v if isinstance(v, (str, type(None))) else float(v) for v in r] for r in cur.fetchall()]
    try:
        cur.execute(f"SELECT * FROM {ungranted}")
        out["ungranted"] = "read"
    except psycopg2.Error as e:
        out["ungranted"] = e.pgcode
conn.rollback()
with conn.cursor() as cur:
    try:
        cur.execute(f"DELETE FROM {table}")
        out["delete"] = "done"
    except psycopg2.Error as e:
        out["delete"] = e.pgcode
conn.close()
print(json.dumps(out, ensure_ascii=False))
