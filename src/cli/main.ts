import { Command } from 'commander';
import { registerSeedCommand } from '../demo/cli';
import { registerIdentityCommand } from '../identity/cli';
import { registerLinkCommand } from '../linkage/cli';
import { registerRiskCommand } from '../risk/cli';
import { registerAuditCommand } from './audit';
import { registerMigrateCommand } from './migrate';
import { registerServeCommand } from './serve';

const program = new Command('hearth')
  .description('Hearth: multi-agency safeguarding for children living with domestic abuse')
  .showHelpAfterError();

// Each domain registers its own commands.
registerSeedCommand(program);
registerLinkCommand(program);
registerIdentityCommand(program);
registerServeCommand(program);
registerMigrateCommand(program);
registerAuditCommand(program);
registerRiskCommand(program);

await program.parseAsync(process.argv);
