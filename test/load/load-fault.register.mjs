// Lets `node --import ./test/load/load-fault.register.mjs test/load/load-fault.ts` run the TypeScript
// sources directly (Node 20 cannot strip types): see load-fault.hooks.mjs.
import { register } from 'node:module';

register('./load-fault.hooks.mjs', import.meta.url);
