import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LevelDocumentStore, PersistenceError } from './persistence.js';

describe('document store', () => {
	let dir: string;
	let store: LevelDocumentStore;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'branchline-store-'));
		store = await LevelDocumentStore.open(path.join(dir, 'relay'));
	});
	afterAll(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('appends updates and loads them back, before and after compaction', async () => {
		const doc = new Y.Doc();
		doc.on('update', (update: Uint8Array) => void store.append('c/config', update));
		for (let i = 0; i < 30; i++) doc.getMap('records').set(`k${i}`, { i });
		expect((await store.load('c/config')).getMap('records').toJSON()).toEqual(doc.getMap('records').toJSON());
		await store.compact('c/config');
		expect((await store.load('c/config')).getMap('records').size).toBe(30);
		expect(await store.documentNames()).toEqual(['c/config']);
	});

	it('gives an empty doc for a document never written', async () => {
		expect((await store.load('c/members/3')).getMap('records').size).toBe(0);
	});

	it('refuses a second relay on the same directory', async () => {
		await expect(LevelDocumentStore.open(path.join(dir, 'relay'))).rejects.toThrow(PersistenceError);
		await expect(LevelDocumentStore.open(path.join(dir, 'relay'))).rejects.toThrow(/another relay process/);
	});
});
