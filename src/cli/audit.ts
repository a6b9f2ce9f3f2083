// `hearth audit verify`: checks every area's audit chain.
import type { Command } from 'commander';
import { verifyAuditChain } from '../access/audit-verify';
import { loadConfig } from '../server/config';
import { openConfiguredDatabase } from './database';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('Work with the audit log');
  audit
    .command('verify')
    .description('Check that no audit event has been changed, removed or added out of order')
    .action(async () => {
      const config = loadConfig();
      const database = await openConfiguredDatabase(config, { migrate: false });
      try {
        const result = await verifyAuditChain(database);
        if (result.ok) {
          console.log(`OK: ${result.rows} audit events in ${result.areas} ${result.areas === 1 ? 'area' : 'areas'}, chain intact.`);
        } else {
          const b = result.firstBreak!;
          console.log(`BROKEN: area ${b.areaCode}, lane ${b.lane}, audit event ${b.seq}: ${b.problem}.`);
          process.exitCode = 1;
        }
      } finally {
        await database.close();
      }
    });
}
