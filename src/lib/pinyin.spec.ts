import { describe, expect, it } from 'vitest';
import { pinyinInitials } from './pinyin';

describe('pinyinInitials', () => {
	it.each([
		['纯棉圆领T恤', 'cmyltx'],
		['2026新款POLO衫', '2026xkpolos'],
		['牛仔裤 XL', 'nzkxl'],
		['ＡＢ－１２　羽绒服', 'ab12yrf'],
		['（限量）長裙', 'xlcq'],
		['', '']
	])('%s -> %s', (name, initials) => {
		expect(pinyinInitials(name)).toBe(initials);
	});
});
