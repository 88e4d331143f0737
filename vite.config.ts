import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 5173, strictPort: false },
	test: {
		include: [
			'src/**/*.{test,spec}.ts',
			'sync-server/src/**/*.{test,spec}.ts',
			'scripts/**/*.spec.ts',
			'tests/relay/**/*.spec.ts',
			// Starts Redis and PostgreSQL (Debian packages) and two relay processes; see tests/scale/services.ts.
			'tests/scale/**/*.spec.ts',
			// engine.spec, relay.spec and the seeded multi-branch simulation (sim.spec, ≤ 2 min; `npm run test:sim`
			// runs it alone, `-- --long` longer)
			'tests/sim/**/*.spec.ts'
		],
		environment: 'node'
	}
});
