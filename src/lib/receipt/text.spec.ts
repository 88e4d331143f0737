import { describe, expect, it } from 'vitest';
import {
	centerToWidth,
	codePointWidth,
	displayWidth,
	padColumns,
	sanitizeText,
	truncateToWidth,
	wrapToWidth
} from './text';

describe('displayWidth', () => {
	it.each([
		['', 0],
		['abc', 3],
		['合计', 4],
		['T恤', 3],
		['L/白色', 6],
		['￥12.50', 7], // full-width yen sign prints from the 24-dot font
		['（满300减50）', 13],
		['e\u0301', 1], // a combining accent adds nothing
		['👍🏽', 2] // one grapheme, one glyph
	])('%j is %i cells', (text, width) => {
		expect(displayWidth(text)).toBe(width);
	});

	it('classifies code points', () => {
		expect(codePointWidth(0x41)).toBe(1);
		expect(codePointWidth(0x1b)).toBe(0);
		expect(codePointWidth(0x4e2d)).toBe(2);
		expect(codePointWidth(0x200b)).toBe(0); // zero-width space (Cf)
	});
});

describe('truncateToWidth', () => {
	it.each([
		['abcdef', 4, 'abcd'],
		['经典圆领', 4, '经典'],
		['经典圆领', 5, '经典'], // never half a character
		['T恤衫', 2, 'T'],
		['T恤衫', 3, 'T恤'],
		['ab', 10, 'ab'],
		['ab', 0, ''],
		['👍🏽x', 1, ''],
		['👍🏽x', 3, '👍🏽x']
	])('%j to %i -> %j', (text, width, expected) => {
		expect(truncateToWidth(text, width)).toBe(expected);
	});
});

describe('padColumns', () => {
	it.each([
		['合计', '398.00', 16, '合计      398.00'],
		['Total', '398.00', 16, 'Total     398.00'],
		['经典圆领短袖T恤', '99.00', 16, '经典圆领短 99.00'],
		['经典圆领T恤', '99.00', 16, '经典圆领T  99.00'], // never half of 恤: a space fills its cell
		['', '1.00', 6, '  1.00'],
		['left', '', 6, 'left  '],
		['x', '1234567', 6, '123456']
	])('%j | %j in %i', (left, right, width, expected) => {
		const line = padColumns(left, right, width);
		expect(line).toBe(expected);
		expect(displayWidth(line)).toBe(width);
	});

	it('pads an odd cell left by a cut CJK character with a space', () => {
		const line = padColumns('经典圆领短袖', '9.00', 12); // 7 cells of room, 3 characters fit
		expect(line).toBe('经典圆  9.00');
		expect(displayWidth(line)).toBe(12);
	});
});

describe('centerToWidth', () => {
	it('centres CJK and ASCII by cells', () => {
		expect(centerToWidth('谢谢惠顾', 12)).toBe('  谢谢惠顾  ');
		expect(centerToWidth('abc', 6)).toBe(' abc  ');
		expect(displayWidth(centerToWidth('欢迎光临!', 16))).toBe(16);
	});
});

describe('wrapToWidth', () => {
	it('breaks CJK anywhere without splitting a character', () => {
		expect(wrapToWidth('北京市朝阳区建国路88号', 10)).toEqual(['北京市朝阳', '区建国路88', '号']);
		expect(wrapToWidth('北京市朝阳区建国路88号', 9)).toEqual(['北京市朝', '阳区建国', '路88号']);
	});

	it('prefers breaking Latin text at a space', () => {
		expect(wrapToWidth('Thank you for shopping', 10)).toEqual(['Thank you', 'for', 'shopping']);
	});

	it('keeps explicit newlines and never exceeds the width', () => {
		const lines = wrapToWidth('退换货请保留小票\n7天内可退换 Returns within 7 days', 16);
		expect(lines[0]).toBe('退换货请保留小票');
		for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(16);
	});

	it('removes control characters', () => {
		expect(wrapToWidth('a\u001b@b', 10)).toEqual(['a @b']);
		expect(sanitizeText('x\u001dVy\u0085')).toBe('x Vy ');
	});
});
