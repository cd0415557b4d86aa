// The binlog listener ships no types: the little of it the capture uses.

declare module '@powersync/mysql-zongji' {
  interface Listener {
    on(event: string, handler: (value: never) => void): void;
    start(options: object): void;
    stop(): void;
    removeAllListeners(event: string): void;
    connection: { pause(): void; resume(): void };
  }
  const ZongJi: new (dsn: object) => Listener;
  export = ZongJi;
}

declare module '@powersync/mysql-zongji/lib/common.js' {
  const common: { readMysqlValue: (...args: never[]) => unknown };
  export = common;
}
