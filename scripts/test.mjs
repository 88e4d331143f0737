#!/usr/bin/env node
/**
 * `npm test` (and CI through .ci/run): every check, in order, stopping at the first failure.
 *
 *   deps → Chromium → check → lint → unit tests → build → e2e
 *
 * Installs dependencies when needed, and Debian's Chromium, Redis and PostgreSQL (for the scale-out test)
 * when running as root. The exit code is
 * that of the first failing step (0 when everything passed). Node built-ins only.
 */
import {
	bold,
	dim,
	ensureChromium,
	ensureDeps,
	ensureScaleOutServices,
	green,
	red,
	root,
	run,
	step
} from './ensure-deps.mjs';

const steps = [
	{ name: 'type check', cmd: ['npm', 'run', 'check'] },
	{ name: 'lint', cmd: ['npm', 'run', 'lint'] },
	{ name: 'unit tests', cmd: ['npm', 'run', 'test:unit'] },
	{ name: 'build', cmd: ['npm', 'run', 'build'] },
	{ name: 'browser tests', cmd: ['npm', 'run', 'test:e2e'] }
];

const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

await ensureDeps();
const chromium = await ensureChromium();
await ensureScaleOutServices();
const env = { ...process.env, CHROMIUM_PATH: chromium };

const done = [];
for (const { name, cmd } of steps) {
	const t0 = Date.now();
	step(`${bold(name)}: ${cmd.join(' ')}`);
	const code = await run(cmd[0], cmd.slice(1), { cwd: root, env });
	const took = seconds(Date.now() - t0);
	if (code !== 0) {
		console.error('');
		console.error(`${red('✗')} ${bold(name)} failed (exit ${code}) after ${took}: ${cmd.join(' ')}`);
		if (done.length) console.error(dim(`  passed before it: ${done.join(', ')}`));
		process.exit(code);
	}
	done.push(name);
	console.log(`${green('✓')} ${name} ${dim(took)}`);
}

console.log('');
console.log(`${green('✓')} all ${steps.length} steps passed in ${seconds(Date.now() - started)}`);
