import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';

/**
 * The till must start with no network: the service worker precaches the app and answers every
 * navigation with the cached SPA shell. These tests assert only what the shell guarantees (the
 * manifest link and the title from src/app.html), not the till UI.
 */

/** Registers the worker (the root layout does this too; same URL, so it is one registration) and waits for it to control the page. */
async function serviceWorkerInControl(page: Page): Promise<string> {
	return page.evaluate(async () => {
		await navigator.serviceWorker.register('/service-worker.js');
		const registration = await navigator.serviceWorker.ready;
		const active = registration.active;
		if (active && active.state !== 'activated') {
			await new Promise<void>((resolve) =>
				active.addEventListener('statechange', () => active.state === 'activated' && resolve())
			);
		}
		if (!navigator.serviceWorker.controller) {
			await new Promise<void>((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true })
			);
		}
		return active?.state ?? 'none';
	});
}

async function expectAppShell(page: Page): Promise<void> {
	await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', /manifest\.webmanifest$/);
	await expect(page).toHaveTitle(/Branchline/);
}

test('installs the service worker and starts offline, deep links included', async ({ page, context }) => {
	await page.goto('/');
	await expectAppShell(page);
	expect(await serviceWorkerInControl(page)).toBe('activated');

	await context.setOffline(true);
	try {
		const reloaded = await page.reload();
		expect(reloaded?.fromServiceWorker()).toBe(true);
		await expectAppShell(page);

		const deep = await page.goto('/some/deep/link?from=e2e');
		expect(deep?.fromServiceWorker()).toBe(true);
		expect(deep?.status()).toBe(200);
		await expectAppShell(page);
	} finally {
		await context.setOffline(false);
	}
});

test('Chrome reports no installability errors', async ({ baseURL }, testInfo) => {
	// Test contexts are incognito, which is never installable: use a real profile, like a kiosk's.
	const profile = mkdtempSync(path.join(tmpdir(), 'branchline-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		...testInfo.project.use.launchOptions,
		baseURL
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto('/');
		await serviceWorkerInControl(page);
		await expectInstallable(page);
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
});

async function expectInstallable(page: Page): Promise<void> {
	const cdp = await page.context().newCDPSession(page);
	const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
		installabilityErrors: Array<{ errorId: string }>;
	};
	expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);

	const { errors, data } = await cdp.send('Page.getAppManifest');
	expect(errors).toEqual([]);
	const manifest = JSON.parse(data ?? '{}') as { name?: string; display?: string; icons?: unknown[] };
	expect(manifest).toMatchObject({ name: 'Branchline 收银', display: 'standalone' });
	expect(manifest.icons).toHaveLength(3);
}

test('the server answers health, headers and the SPA fallback', async ({ request }) => {
	const health = await request.get('/healthz');
	expect(health.ok()).toBe(true);
	expect(await health.json()).toMatchObject({ status: 'ok' });

	const deep = await request.get('/members/13800138000');
	expect(deep.status()).toBe(200);
	expect(deep.headers()['content-type']).toContain('text/html');
	expect(deep.headers()['cache-control']).toBe('no-cache');

	const manifest = await request.get('/manifest.webmanifest');
	expect(manifest.headers()['content-type']).toContain('application/manifest+json');

	const sw = await request.get('/service-worker.js');
	expect(sw.headers()['cache-control']).toBe('no-cache');

	expect((await request.get('/_app/immutable/missing.js')).status()).toBe(404);
	expect((await request.get('/icons/icon-512.png')).headers()['content-type']).toBe('image/png');
});
