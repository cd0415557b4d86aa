// The dependency rules of design.md, checked in `npm test`: a second path for data out
// must not creep in.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'only-query-reads-sources',
      comment:
        'Only query/ imports sources/: no other module can read provider data. Source management ' +
        '(register, test, describe: metadata, never rows) is reachable from its routes, its CLI ' +
        'commands, the AppContext type and the server that opens the runtime; none of them calls read().',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [
          '^src/(query|sources)/',
          '^src/http/routes/sources(-files)?\\.ts$',
          '^src/http/types\\.ts$',
          '^src/cli/commands/sources\\.ts$',
          '^src/server/',
        ],
      },
      to: { path: '^src/sources/' },
    },
    {
      name: 'net-imports-only-config',
      comment: 'net/ (the one outbound policy) imports config/ alone: nothing can bend its decisions.',
      severity: 'error',
      from: { path: '^src/net/' },
      to: { path: '^src/', pathNot: '^src/(net|config)/' },
    },
    {
      name: 'only-net-and-connectors-open-connections',
      comment:
        'Outbound connections go through net/: a network client (pg, mysql2, undici, node:http/https/tls …) ' +
        'is imported by net/ and by the SQL connectors that hand it net/\'s checked socket (see the required ' +
        'rule), besides what the operator configures: the metadata store, the demo filling its own databases, ' +
        'the CLI. (node:net is left out: isIP and BlockList live there; a source test hunts for sockets.) ' +
        'The binlog listener (@powersync/mysql-zongji, over @vlasky/mysql) takes no stream: the one file ' +
        'that starts it is given the address net/ checked (required rule on mysql-binlog.ts, which resolves ' +
        'it); mysql-binlog-values.ts imports only the listener\'s value decoder (lib/common.js) to wrap it.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [
          '^src/net/',
          '^src/sources/connectors/(postgres|postgres-copy|mysql|mysql-session)\\.ts$',
          '^src/sources/capture/mysql-binlog-(stream|values)\\.ts$',
          // The staging-database channel (前置库) writes into the consumer's own database, through
          // net/'s checked socket (see the required rule staging-channel-asks-net).
          '^src/exchange/channels/staging/(postgres|mysql)\\.ts$',
          '^src/(store|cli|server)/',
          '^src/demo/services\\.ts$',
        ],
      },
      to: {
        path: '^(node_modules/(pg|mysql2|undici|axios|node-fetch|got|@powersync/mysql-zongji|@vlasky/mysql)/|(node:)?(http|https|tls|http2|dgram)$)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'privacy-is-pure',
      comment: 'privacy/ imports no other module of the project.',
      severity: 'error',
      from: { path: '^src/privacy/' },
      to: { path: '^src/', pathNot: '^src/privacy/' },
    },
    {
      name: 'audit-depends-on-store-only',
      comment:
        'audit/ depends on the store (and errors, config) alone; everything may call it, it calls nothing back. ' +
        '(observability/, which imports nothing of the project, counts its appends.)',
      severity: 'error',
      from: { path: '^src/audit/' },
      to: { path: '^src/', pathNot: '^src/(audit|store|errors|config|observability)/' },
    },
    {
      name: 'observability-imports-nothing',
      comment:
        'observability/ (metrics and spans) imports no other module of the project: every module may record ' +
        'into it, so it must not lead anywhere (no cycle, no path to data or to HTTP).',
      severity: 'error',
      from: { path: '^src/observability/' },
      to: { path: '^src/', pathNot: '^src/observability/' },
    },
    {
      name: 'domain-never-imports-http',
      comment: 'Routes import domain modules, not the reverse.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(http|server|cli)/'] },
      to: { path: '^src/(http|server|cli)/' },
    },
    {
      name: 'only-public-surfaces',
      comment: 'Other modules import only a module\'s index.ts.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/([^/]+)/.+',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'sharing-never-imports-governance',
      comment:
        'governance/ (deadlines, SLA) reads and notifies through sharing/; sharing/ never waits on ' +
        'governance/ (the routes join a request to its clock).',
      severity: 'error',
      from: { path: '^src/sharing/' },
      to: { path: '^src/governance/' },
    },
    {
      name: 'pg-wire-speaks-through-query',
      comment:
        'pg-wire/ (the PostgreSQL wire listener) is one more channel into query/\'s pipeline: it imports ' +
        'query/, identity/ (who connects), config/, errors/ and observability/ only, so it cannot read a ' +
        'source, the store or the catalog around the pipeline. The store and the audit log it is handed ' +
        'are named by type alone (it passes them on).',
      severity: 'error',
      from: { path: '^src/pg-wire/' },
      to: {
        path: '^src/',
        pathNot: '^src/(pg-wire|query|identity|config|errors|observability)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  required: [
    {
      name: 'connectors-ask-net',
      comment: 'Every connector that opens a connection asks net/ (the outbound policy) before it connects.',
      severity: 'error',
      module: { path: '^src/sources/(connectors/(postgres|mysql|mysql-session)|http-json/fetch-json)\\.ts$' },
      to: { path: '^src/net/index\\.ts$' },
    },
    {
      name: 'binlog-capture-asks-net',
      comment:
        'The binlog capture, whose listener opens its own sockets, resolves and checks the source\'s address ' +
        'through net/ (the outbound policy) and gives the listener only the checked IP.',
      severity: 'error',
      module: { path: '^src/sources/capture/mysql-binlog\\.ts$' },
      to: { path: '^src/net/index\\.ts$' },
    },
    {
      name: 'staging-channel-asks-net',
      comment:
        'The staging-database channel opens connections to an address a consumer supplied: each of its ' +
        'two writers hands pg/mysql2 net/\'s checked socket, so the outbound policy decides first.',
      severity: 'error',
      module: { path: '^src/exchange/channels/staging/(postgres|mysql)\\.ts$' },
      to: { path: '^src/net/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.test\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
