import { readFile } from 'node:fs/promises';
import { ean13FromBody } from '../../src/lib/domain/barcode';
import { catalogCsvHeader } from '../../src/lib/domain/catalogImport';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

/** In-app navigation: a full page load would start a new session (the sign-in lives in memory). */
async function openCatalog(page: Page): Promise<void> {
	await page.getByRole('navigation').getByRole('link', { name: '商品' }).click();
	await expect(page.getByRole('heading', { name: '商品管理' })).toBeVisible();
}

test.describe('catalog', () => {
	test.beforeEach(async ({ till }) => {
		await till.open();
		await till.signIn('manager');
	});

	test('a manager creates a style with a 2×2 matrix, receives stock and sells it at the till', async ({
		till,
		page
	}) => {
		await openCatalog(page);
		await page.getByTestId('new-style').click();
		await expect(page.getByRole('heading', { name: '新建款式' })).toBeVisible();

		// Saving an empty form names every missing field next to it and writes nothing.
		await page.getByTestId('save-style').click();
		await expect(page.getByTestId('error-code')).toHaveText('必填');
		await expect(page.getByTestId('save-status')).toContainText('需要修改');

		await page.getByTestId('style-code').fill('E2E-0001');
		await page.getByTestId('style-name').fill('测试针织开衫');
		await page.getByTestId('style-category').selectOption({ label: '毛衫' });
		await page.getByTestId('style-season').fill('2026AW');
		await page.getByTestId('style-new').check();
		await page.getByTestId('style-retail').fill('199');
		await page.getByTestId('level-price-lvl-gold').fill('179');
		await page.getByTestId('sizes-input').fill('M，L');
		await page.getByTestId('colors-input').fill('黑色、白色');
		await page.getByTestId('generate-matrix').click();
		await expect(page.getByTestId('variant-row')).toHaveCount(4);

		// A wrong check digit is refused next to the row, in the user's language.
		const barcodes = page.getByTestId('variant-barcode');
		await barcodes.first().fill('6901234567891');
		await page.getByTestId('save-style').click();
		await expect(page.getByTestId('variant-row').first()).toContainText('校验位错误');

		await barcodes.first().fill('');
		await page.getByTestId('generate-barcodes').click();
		for (let i = 0; i < 4; i++) await expect(barcodes.nth(i)).toHaveValue(/^20\d{11}$/);
		const codes = await barcodes.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
		expect(new Set(codes).size).toBe(4);

		await page.getByTestId('save-style').click();
		await expect(page).toHaveURL(/\/catalog\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { name: '编辑款式 E2E-0001' })).toBeVisible();
		await expect(page.getByTestId('save-status')).toHaveText('已保存 E2E-0001');
		await expect(page.getByTestId('variant-row')).toHaveCount(4);

		// Goods in: +6 on the first variant, then a count of 5 adjusts by -1.
		await page.getByTestId('stock-button').first().click();
		await page.getByTestId('stock-qty').fill('6');
		await page.getByTestId('stock-submit').click();
		await expect(page.getByTestId('stock-result')).toHaveText('已收货 6 件，现有 6 件');
		await page.getByTestId('stock-count').click();
		await page.getByTestId('stock-qty').fill('5');
		await page.getByTestId('stock-submit').click();
		await expect(page.getByTestId('stock-result')).toHaveText('盘点完成：调整 -1 件，现有 5 件');
		await page.getByRole('button', { name: '关闭' }).click();

		// The list finds it by pinyin initials (computed by the lazily loaded pinyin module) and sums its stock.
		await openCatalog(page);
		await page.getByTestId('catalog-search').fill('cszz');
		const row = page.getByTestId('catalog-row').filter({ hasText: 'E2E-0001' });
		await expect(row).toHaveCount(1);
		await expect(row).toContainText('测试针织开衫');
		await expect(row).toContainText('新品');
		await expect(row.locator('td').nth(4)).toHaveText('4');
		await expect(row.locator('td').nth(6)).toHaveText('5');

		// Read back from the database, the matrix keeps the order it was typed in.
		await row.getByRole('link', { name: 'E2E-0001' }).click();
		const order = page.getByTestId('variant-row').locator('td:nth-child(-n+2)');
		await expect(order).toHaveText(['黑色', 'M', '黑色', 'L', '白色', 'M', '白色', 'L']);
		for (let i = 0; i < 4; i++) await expect(barcodes.nth(i)).toHaveValue(codes[i] ?? '');

		await page.getByRole('navigation').getByRole('link', { name: '收银' }).click();
		await till.scan(codes[1] ?? '');
		await expect(till.lines()).toHaveCount(1);
		await expect(till.lines().first()).toContainText('测试针织开衫');
	});

	test('CSV import reports bad rows by line and imports only the good one', async ({ page }) => {
		const good = ean13FromBody('200900000011');
		const validBody = ean13FromBody('200900000022');
		const badCheck = validBody.slice(0, 12) + String((Number(validBody[12]) + 1) % 10);
		const csv = [
			catalogCsvHeader().join(','),
			`E2E-CSV-1,导入测试衬衫,衬衫,2026SS,1,129,M,蓝色,${good}`,
			`E2E-CSV-2,校验位错误,衬衫,2026SS,0,99,L,白色,${badCheck}`,
			`E2E-CSV-3,分类不存在,不存在的分类,2026SS,0,99,L,白色,${ean13FromBody('200900000033')}`
		].join('\r\n');

		await openCatalog(page);
		await page.getByTestId('import-csv').click();
		await expect(page.getByRole('heading', { name: '导入商品 CSV' })).toBeVisible();

		const download = page.waitForEvent('download');
		await page.getByTestId('import-template').click();
		expect((await download).suggestedFilename()).toMatch(/\.csv$/);

		await page.getByTestId('import-file').setInputFiles({
			name: 'catalog.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv, 'utf8')
		});
		await expect(page.getByTestId('import-summary')).toHaveText('1 款 / 1 个 SKU 可导入，2 行有错误');
		const errors = page.getByTestId('import-error-row');
		await expect(errors).toHaveCount(2);
		await expect(errors.nth(0)).toHaveAttribute('data-line', '3');
		await expect(errors.nth(0)).toContainText('校验位错误');
		await expect(errors.nth(0)).toContainText('barcode');
		await expect(errors.nth(1)).toHaveAttribute('data-line', '4');
		await expect(errors.nth(1)).toContainText('分类“不存在的分类”不存在');

		await page.getByTestId('import-commit').click();
		await expect(page.getByTestId('import-done')).toContainText('已导入 1 款、1 个 SKU');
		await page.getByTestId('import-back').click();

		await page.getByTestId('catalog-search').fill('E2E-CSV');
		await expect(page.getByTestId('catalog-row')).toHaveCount(1);
		await expect(page.getByTestId('catalog-row')).toContainText('导入测试衬衫');

		// The export has the import's columns and the imported row, BOM first for Excel.
		const exported = page.waitForEvent('download');
		await page.getByTestId('export-csv').click();
		const text = await readFile(await (await exported).path(), 'utf8');
		expect(text.startsWith('\uFEFFstyle_code,name,category,')).toBe(true);
		expect(text).toContain(`E2E-CSV-1,导入测试衬衫,衬衫,2026SS,1,129.00,M,蓝色,${good}`);
	});

	test('a cashier sees the catalog read-only', async ({ till, page }) => {
		await page.getByRole('button', { name: '退出' }).click();
		await till.signIn('cashier');
		await openCatalog(page);
		await expect(page.getByText('只有店长或老板可以新建、修改或导入商品')).toBeVisible();
		await expect(page.getByTestId('new-style')).toHaveCount(0);
		await page.getByTestId('catalog-row').first().getByRole('link').first().click();
		await expect(page.getByTestId('style-code')).toBeDisabled();
		await expect(page.getByTestId('save-style')).toHaveCount(0);
	});
});
