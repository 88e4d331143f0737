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
			// The full multi-branch simulation runs with `npm run test:sim`; it is out of `npm test` until the
			// member last-writer-wins divergence it found (seed sim-3) is fixed — see the issue note.
			'tests/sim/engine.spec.ts',
			'tests/sim/relay.spec.ts'
		],
		environment: 'node'
	}
});
