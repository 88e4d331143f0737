import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv, toCsv } from './csv';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
	it.each([
		[
			'simple',
			'a,b,c\n1,2,3\n',
			[
				['a', 'b', 'c'],
				['1', '2', '3']
			]
		],
		[
			'CRLF and no final newline',
			'a,b\r\n1,2',
			[
				['a', 'b'],
				['1', '2']
			]
		],
		['lone CR', 'a\rb\r', [['a'], ['b']]],
		['BOM stripped', '\uFEFFstyle_code,name\n', [['style_code', 'name']]],
		['quoted comma', '"a,b",c', [['a,b', 'c']]],
		['escaped quotes', '"say ""hi""",x', [['say "hi"', 'x']]],
		['quoted newline', '"line1\nline2",x\ny', [['line1\nline2', 'x'], ['y']]],
		['quoted CRLF kept', '"a\r\nb"', [['a\r\nb']]],
		['empty fields', ',,\n', [['', '', '']]],
		['trailing comma at EOF', 'a,', [['a', '']]],
		['trailing comma before newline', 'a,\nb', [['a', ''], ['b']]],
		['empty lines skipped', 'a\n\n\r\nb\n', [['a'], ['b']]],
		['quoted empty field is a record', '""\n', [['']]],
		['spaces kept', ' a , b ', [[' a ', ' b ']]],
		[
			'Chinese',
			'款号,品名\nBL-1,纯棉T恤',
			[
				['款号', '品名'],
				['BL-1', '纯棉T恤']
			]
		],
		['empty text', '', []],
		['only a BOM', '\uFEFF', []]
	])('%s', (_name, text, expected) => {
		expect(fieldsOf(text)).toEqual(expected);
	});

	it('keeps empty lines when asked', () => {
		expect(parseCsv('a\n\nb', { skipEmptyLines: false }).map((r) => r.fields)).toEqual([['a'], [''], ['b']]);
	});

	it('reports the line each record starts on, counting newlines inside quotes', () => {
		const text = 'h1,h2\r\n"multi\r\nline",x\n\nlast,"a\nb"\nend';
		expect(parseCsv(text).map((r) => r.line)).toEqual([1, 2, 5, 7]);
	});

	it.each([
		['"abc', 1],
		['a,b\n"ok",x\n"never closed,\nmore', 3],
		['a\n"x""', 2]
	])('unterminated quote in %j is reported at line %i', (text, line) => {
		expect(() => parseCsv(text)).toThrowError(
			expect.objectContaining({ code: 'csv.unterminatedQuote', params: { line } })
		);
	});

	it.each([
		['ab"c', 1],
		['ok\n"ab"c', 2],
		['"a" ,b', 1]
	])('stray quote in %j is reported at line %i', (text, line) => {
		expect(() => parseCsv(text)).toThrowError(
			expect.objectContaining({ code: 'csv.badQuote', params: { line } })
		);
	});
});

describe('parseCsv on arbitrary input', () => {
	it('either parses or throws a csv DomainError with a line inside the text', () => {
		const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '\uFEFF') });
		fc.assert(
			fc.property(text, (t) => {
				const lines = t.split(/\r\n|\r|\n/).length;
				try {
					for (const r of parseCsv(t)) expect(r.line).toBeLessThanOrEqual(lines);
				} catch (e) {
					expect(e).toMatchObject({ code: expect.stringMatching(/^csv\./) });
					expect((e as { params: { line: number } }).params.line).toBeLessThanOrEqual(lines);
				}
			})
		);
	});
});

describe('toCsv', () => {
	it.each([
		[
			'plain',
			[
				['a', 'b'],
				['1', '2']
			],
			'a,b\r\n1,2\r\n'
		],
		['quotes when needed', [['a,b', 'say "hi"', 'x\ny']], '"a,b","say ""hi""","x\ny"\r\n'],
		['numbers and booleans', [[1, -12.5, true, null, undefined]], '1,-12.5,true,,\r\n'],
		[
			'formula injection',
			[['=1+2', '+86 138', '-5', '@SUM(A1)', '\tx']],
			"'=1+2,'+86 138,'-5,'@SUM(A1),'\tx\r\n"
		],
		[
			'formula with comma is prefixed and quoted',
			[['=HYPERLINK("x","y")']],
			'"\'=HYPERLINK(""x"",""y"")"\r\n'
		],
		['lone empty cell', [['']], '""\r\n'],
		['empty row', [[]], '\r\n']
	] as const)('%s', (_name, rows, expected) => {
		expect(toCsv(rows, { bom: false })).toBe(expected);
	});

	it('starts with a BOM by default', () => {
		expect(toCsv([['款号']])).toBe('\uFEFF款号\r\n');
	});

	it('round-trips any text that is not a formula', () => {
		const safeText = fc
			.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r', ' ', "'", '1') })
			.filter((s) => !s.startsWith('\r'));
		fc.assert(
			fc.property(fc.array(fc.array(safeText, { minLength: 1, maxLength: 5 }), { maxLength: 10 }), (rows) => {
				const back = parseCsv(toCsv(rows)).map((r) => r.fields);
				expect(back).toEqual(rows);
			})
		);
	});
});
