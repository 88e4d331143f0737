import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests run Debian's Chromium (a Playwright browser download cannot work on a closed network)
 * against the built sync-server, exactly what `npm start` serves. `npm test` builds first; run
 * `npm run test:e2e` on its own and scripts/e2e-server.mjs rebuilds when sources are newer.
 */
const PORT = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${PORT}`;
const executablePath = process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium';

/** Keeps Chromium quiet and self-contained on a machine without internet. */
const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage'
];

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	workers: 2,
	retries: 0,
	reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
	timeout: 30_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		// retries are 0, so a trace "on first retry" would never be taken: pass --trace on to debug.
		trace: 'off',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: { executablePath, args: chromiumArgs }
			}
		}
	],
	webServer: {
		command: 'node scripts/e2e-server.mjs',
		url: `${baseURL}/healthz`,
		env: { PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: 'data/e2e', LOG_LEVEL: 'warn' },
		reuseExistingServer: !process.env.CI,
		timeout: 120_000,
		stdout: 'pipe',
		stderr: 'pipe'
	}
});
