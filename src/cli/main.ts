#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig, VERSION } from '../config/index.js';
import { logFatal, serve } from '../server/index.js';
import { migrate } from '../store/index.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerCatalogCommands } from './commands/catalog.js';
import { registerDemoCommands } from './commands/demo.js';
import { registerFederationCommands } from './commands/federation.js';
import { registerIdentityCommands } from './commands/identity.js';
import { registerSourceCommands } from './commands/sources.js';
import { registerTraceCommand } from './commands/trace.js';
import { registerWarningCommand } from './commands/warning.js';
import { action } from './run-action.js';
import { withStore } from './with-store.js';

const program = new Command()
  .name('huitong')
  .description('Huitong (汇通) data-sharing platform: server and administration')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)');

program
  .command('serve')
  .description('serve the platform (HUITONG_PORT, HUITONG_HOST, HUITONG_DATA_DIR, HUITONG_DATABASE_URL)')
  .action(async () => {
    // A server's failure is for log collectors: one JSON line (pino), no credentials.
    try {
      await serve(loadConfig());
    } catch (error) {
      logFatal(error, 'the server could not start');
      process.exit(1);
    }
  });

program
  .command('migrate')
  .description('apply pending migrations to the configured store')
  .action(
    action(async () => {
      await withStore(
        async (store) => {
          const applied = await migrate(store);
          process.stdout.write(
            applied.length ? `applied ${applied.join(', ')}\n` : 'the store is up to date\n',
          );
        },
        { migrate: false },
      );
    }),
  );

registerIdentityCommands(program);
registerSourceCommands(program);
registerCatalogCommands(program);
registerAuditCommands(program);
registerBackupCommands(program);
registerDemoCommands(program);
registerTraceCommand(program);
registerWarningCommand(program);
registerFederationCommands(program);

program.exitOverride((error) => process.exit(error.exitCode));
await program.parseAsync(process.argv);
