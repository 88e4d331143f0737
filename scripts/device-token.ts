/**
 * `npm run device:token -- --chain <id> --branch <id> --role <role> [--device <id>]` and
 * `npm run relay:enrol-code -- --chain <id> --branch <id> --role <role>`: see sync-server/src/cli/device-token.ts.
 */
import { runCli } from '../sync-server/src/cli/device-token.js';

const [command, ...args] = process.argv.slice(2);
if (command !== 'device-token' && command !== 'enrol-code') {
	console.error('usage: tsx scripts/device-token.ts device-token|enrol-code [options]');
	process.exit(2);
}
const code = await runCli(command, args, process.env, {
	out: (line) => process.stdout.write(line + '\n'),
	err: (line) => process.stderr.write(line + '\n')
});
process.exit(code);
