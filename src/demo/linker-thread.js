// The window linker's worker thread: TypeScript is loaded through tsx here too, as in bin/hearth.js.
import { register } from 'tsx/esm/api';

register();
await import('./linker-thread-main.ts');
