/**
 * Two tills of two branches and a real relay (the built sync-server in its own process, see relay-process.ts):
 * enrolment, a top-up at A spent at B, offline sales at both that converge, a relay killed with SIGKILL mid-sync
 * that loses nothing it acknowledged, sockets without a token refused, and a till that cannot be erased while
 * something is unsynced. One story, run in order.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { demo, fenShown, findSku, TillPage } from './fixtures';
import { RelayProcess } from './relay-process';

const chainId = (demo as unknown as { chain: { id: string } }).chain.id;
const member =
	demo.members[7] ??
	(() => {
		throw new Error('the demo chain has no eighth member');
	})();
// A member with no money at all in the demo history: the overdraft case tops them up with exactly ¥100.
const withLedger = new Set(
	(demo as unknown as { ledger: { memberId: string }[] }).ledger.map((e) => e.memberId)
);
const broke =
	demo.members.find((m, i) => i > 20 && !withLedger.has(m.id)) ??
	(() => {
		throw new Error('the demo chain has no member without a ledger');
	})();
const item = findSku((s) => s.retailPrice >= 20000 && s.retailPrice <= 60000);

test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

let relay: RelayProcess;
test.beforeAll(async () => {
	relay = await RelayProcess.create();
	await relay.start();
});
test.afterAll(async () => {
	await relay?.dispose();
});

async function openTill(browser: Browser): Promise<TillPage> {
	const context = await browser.newContext({
		baseURL: relay.url,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		viewport: { width: 1280, height: 800 }
	});
	const page = await context.newPage();
	await page.addInitScript(() => localStorage.setItem('branchline.persistAck', '1'));
	const till = new TillPage(page);
	await till.open();
	await till.signIn('owner');
	return till;
}

/** In-app navigation (a full page load would sign staff out). */
async function go(page: Page, name: '收银' | '销售记录' | '会员' | '设置'): Promise<void> {
	await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

async function useOwnerToken(till: TillPage, branch: string, device: string): Promise<void> {
	await go(till.page, '设置');
	await till.page.getByTestId('owner-token').fill(relay.ownerToken(chainId, branch, device));
	await till.page.getByRole('button', { name: '使用令牌' }).click();
	await expect(till.page.getByTestId('sync-enrolled')).toBeVisible();
}

async function relayOnline(till: TillPage): Promise<void> {
	await expect(till.page.getByTestId('sync-status')).toHaveAttribute('data-relay', 'online', {
		timeout: 20_000
	});
}

/** Waits until the relay has acknowledged everything this till wrote. */
async function allSynced(till: TillPage): Promise<void> {
	await relayOnline(till);
	await expect(till.page.getByTestId('sync-status')).toHaveAttribute('data-unsynced', '0', {
		timeout: 30_000
	});
}

/** Stored value and points of the test member, as the member screen shows them (opened afresh each time). */
async function balances(till: TillPage, who = member): Promise<{ storedValue: number; points: number }> {
	const page = till.page;
	await go(page, '会员');
	await page.getByTestId('member-search').fill(who.phone);
	await expect(page.getByTestId('member-row')).toHaveCount(1);
	await page.getByTestId('member-link').click();
	await expect(page.getByTestId('member-code')).toBeVisible();
	return {
		storedValue: fenShown(await page.getByTestId('member-stored-value').textContent()),
		points: Number(await page.getByTestId('member-points').textContent())
	};
}

async function expectBalances(till: TillPage, expected: { storedValue: number; points: number }) {
	await expect(async () => expect(await balances(till)).toEqual(expected)).toPass({ timeout: 30_000 });
}

/** Tops up the member open on the member screen, paid in cash exactly. */
async function topUp(till: TillPage, yuan: string): Promise<void> {
	const page = till.page;
	await page.getByTestId('action-topup').click();
	await page.getByTestId('topup-amount').fill(yuan);
	await page.getByTestId('topup-next').click();
	await page.getByTestId('qp-amount').fill(yuan);
	await page.getByTestId('qp-add').click();
	await page.getByTestId('qp-confirm').click();
	await expect(page.getByTestId('member-message')).toContainText('充值成功');
}

/** Rings up one item; `storedValueYuan` of it paid from the member's stored value, the rest in cash. */
async function sell(till: TillPage, storedValueYuan?: string, who = member): Promise<string> {
	await go(till.page, '收银');
	await expect(till.page.getByTestId('scan-input')).toBeFocused();
	await till.scan(item.barcode);
	await expect(till.lines()).toHaveCount(1);
	if (storedValueYuan) await till.attachMember(who.phone);
	await till.openPayment();
	if (storedValueYuan) await till.tender('storedValue', storedValueYuan);
	await till.tender('cash', '');
	const number = await till.complete();
	await till.page.getByTestId('new-sale').click();
	return number;
}

/** Sale numbers of a branch today, as the sales history lists them, and whether each is synced. */
async function history(till: TillPage, branch: string): Promise<string[]> {
	const page = till.page;
	await go(page, '销售记录');
	await page.getByTestId('sales-branch').selectOption(branch);
	await expect(page.getByRole('heading', { name: '销售记录' })).toBeVisible();
	return (await page.getByTestId('sale-row').locator('td:first-child').allTextContents()).sort();
}

async function expectHistory(till: TillPage, branch: string, numbers: string[]) {
	const expected = [...numbers].sort();
	await expect(async () => expect(await history(till, branch)).toEqual(expected)).toPass({ timeout: 30_000 });
}

test('the relay refuses a socket without a token (401) and a document of another chain (403)', async () => {
	const status = (url: string, headers: Record<string, string> = {}) =>
		new Promise<number>((resolve, reject) => {
			const socket = new WebSocket(url, { headers });
			socket.on('unexpected-response', (_req, res) => {
				resolve(res.statusCode ?? 0);
				socket.terminate();
			});
			socket.on('open', () => {
				socket.close();
				reject(new Error(`${url} was accepted`));
			});
			socket.on('error', () => undefined);
		});
	const ws = relay.url.replace('http:', 'ws:');
	expect(await status(`${ws}/sync/${chainId}/config`)).toBe(401);
	const token = relay.ownerToken(chainId, 'br-01', 'till-probe');
	expect(await status(`${ws}/sync/other-chain/config`, { Authorization: `Bearer ${token}` })).toBe(403);
});

test('two branches share members, balances and history through the relay, offline and across a crash', async ({
	browser
}) => {
	const a = await openTill(browser);
	const b = await openTill(browser);
	const soldAtA: string[] = [];
	const soldAtB: string[] = [];

	await test.step('the owner enrols till A with a CLI token and creates a one-time code for branch B', async () => {
		await useOwnerToken(a, 'br-01', 'till-a');
		await expect(a.page.getByTestId('sync-enrolled')).toContainText('上海恒隆广场店');
		const form = a.page.locator('form').filter({ has: a.page.getByRole('button', { name: '生成入网码' }) });
		await form.locator('select').nth(0).selectOption('br-02');
		await form.locator('select').nth(1).selectOption('owner');
		await form.getByRole('button', { name: '生成入网码' }).click();
		const code = (await a.page.getByTestId('enrolment-code').textContent())?.match(/\d{8}/)?.[0];
		expect(code).toBeTruthy();

		await go(b.page, '设置');
		await b.page.getByTestId('enrol-code').fill(code ?? '');
		await b.page.getByRole('button', { name: '加入连锁', exact: true }).click();
		await expect(b.page.getByTestId('sync-enrolled')).toContainText('上海港汇恒隆广场店');
		// The branch of an enrolled till follows its enrolment.
		await expect(b.page.getByTestId('till-branch')).toBeDisabled();
		await relayOnline(a);
		await relayOnline(b);
	});

	const start = await balances(a);
	let expected = start;

	await test.step('a ¥500 top-up at A (¥50 bonus) reaches B, which spends ¥100 of it', async () => {
		await topUp(a, '500');
		expected = { ...start, storedValue: start.storedValue + 55000 };
		await expectBalances(a, expected);
		await expectBalances(b, expected);

		soldAtB.push(await sell(b, '100'));
		const afterSpend = await balances(b);
		expect(afterSpend.storedValue).toBe(expected.storedValue - 10000);
		expected = afterSpend;
		await expectBalances(a, expected);
	});

	await test.step('with the relay down both tills keep selling and spending, then converge', async () => {
		await allSynced(a);
		await allSynced(b);
		await relay.kill();
		await expect(a.page.getByTestId('sync-status')).not.toHaveAttribute('data-relay', 'online');
		await expect(b.page.getByTestId('sync-status')).not.toHaveAttribute('data-relay', 'online');
		soldAtA.push(await sell(a), await sell(a, '30'));
		soldAtB.push(await sell(b, '50'));
		await expect(a.page.getByTestId('sync-status')).not.toHaveAttribute('data-unsynced', '0');

		// Nothing unsynced may be erased: the refusal names the count and changes nothing.
		await go(a.page, '设置');
		await a.page.getByTestId('erase-till').click();
		await a.page.getByTestId('erase-confirm').click();
		await expect(a.page.getByTestId('erase-error')).toContainText('未同步到服务器');
		await expect(a.page.getByTestId('sync-enrolled')).toBeVisible();

		await relay.start();
		await allSynced(a);
		await allSynced(b);
		const local = await balances(a);
		expect(local.storedValue).toBe(expected.storedValue - 3000 - 5000);
		expected = local;
		await expectBalances(b, expected);
		for (const till of [a, b]) {
			await expectHistory(till, 'br-01', soldAtA);
			await expectHistory(till, 'br-02', soldAtB);
		}
	});

	await test.step('kill -9 of the relay mid-sync loses nothing it acknowledged; the till resends the rest', async () => {
		soldAtA.push(await sell(a));
		await allSynced(a);
		soldAtA.push(await sell(a));
		await relay.kill(); // the last sale may or may not have been acknowledged
		await relay.start();
		await allSynced(a);
		// A till that never saw any of it, enrolled after the crash, gets everything from the relay.
		const c = await openTill(browser);
		await useOwnerToken(c, 'br-01', 'till-c');
		await relayOnline(c);
		await expectHistory(c, 'br-01', soldAtA);
		await expectHistory(c, 'br-02', soldAtB);
		await expectBalances(c, expected);

		// Everything C holds is on the relay, so it may be erased: it starts again as a new, unenrolled till.
		await go(c.page, '设置');
		await c.page.getByTestId('erase-till').click();
		await c.page.getByTestId('erase-confirm').click();
		await c.signIn('owner');
		await go(c.page, '设置');
		await expect(c.page.getByTestId('enrol-code')).toBeVisible();
		await expect(c.page.getByTestId('sync-enrolled')).toHaveCount(0);
		await c.page.context().close();
	});

	await test.step('two tills overspend one balance offline; a manager settles it as a debt', async () => {
		await balances(a, broke);
		await topUp(a, '100');
		await expect(async () => expect((await balances(b, broke)).storedValue).toBe(10000)).toPass({
			timeout: 30_000
		});
		await allSynced(a);
		await allSynced(b);

		await relay.kill();
		soldAtA.push(await sell(a, '70', broke));
		soldAtB.push(await sell(b, '70', broke));
		await relay.start();
		await allSynced(a);
		await allSynced(b);
		// Both tills see the ¥40 the member does not have; spending is paused until a manager settles it.
		for (const till of [a, b])
			await expect(async () => {
				await balances(till, broke);
				await expect(till.page.getByTestId('overdraft-amount')).toContainText('¥40.00', { timeout: 500 });
			}).toPass({ timeout: 30_000 });
		await a.page.getByTestId('reconcile').click();
		await expect(a.page.getByTestId('member-message')).toContainText('已记为欠款');
		await expect(a.page.getByTestId('overdraft')).toHaveCount(0);
		expect((await balances(a, broke)).storedValue).toBe(-4000);
		await expect(async () => {
			expect((await balances(b, broke)).storedValue).toBe(-4000);
			await expect(b.page.getByTestId('overdraft')).toHaveCount(0);
		}).toPass({ timeout: 30_000 });
	});

	await a.page.context().close();
	await b.page.context().close();
});
