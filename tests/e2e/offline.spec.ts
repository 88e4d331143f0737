import { expect, findSku, test } from './fixtures';

const item = findSku((s) => s.retailPrice > 10000);

test('with the network off, a reload still shows the till and it sells', async ({ till, page, context }) => {
	await till.open();
	await till.signIn('cashier');
	// The root layout registers the service worker; wait until it controls this page.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller)
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
	});

	await context.setOffline(true);
	try {
		const response = await page.reload();
		expect(response?.fromServiceWorker()).toBe(true);
		await till.signIn('cashier');
		await expect(page.getByTestId('sync-status')).toContainText('离线');
		await till.scan(item.barcode);
		await expect(till.lines()).toHaveCount(1);
		await till.openPayment();
		await till.tender('cash', '');
		const number = await till.complete();
		expect(number).toMatch(/^B01-T1-/);
		await expect(page.getByTestId('sync-status')).toContainText('1 笔销售待同步');

		// A deep link opened offline works too.
		await page.goto('/sales');
		await till.signIn('cashier');
		await expect(page.getByTestId('sale-row')).toContainText(number);
	} finally {
		await context.setOffline(false);
	}
});
