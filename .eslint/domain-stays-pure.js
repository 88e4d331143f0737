/**
 * Keeps src/lib/domain/ pure TypeScript: it may import only other domain modules and a short list of pure
 * libraries. Svelte, SvelteKit, Dexie, Yjs, browser APIs and the rest of src/lib live in outer layers
 * (see docs/decisions/0001-architecture.md), so pricing, ledgers and reports stay testable in plain Node.
 */
const allowedPackages = new Set(['valibot']);

/** @type {import('eslint').Rule.RuleModule} */
export default {
	meta: {
		type: 'problem',
		docs: { description: 'src/lib/domain may not import frameworks, storage, sync or browser code' },
		messages: {
			impure:
				"src/lib/domain must stay pure: '{{source}}' is not allowed here. Move the code that needs it to storage/, sync/, hardware/ or state/ and pass plain data in.",
			browserGlobal:
				"src/lib/domain must stay pure: the browser global '{{name}}' is not allowed here. Pass the value in from an outer layer."
		},
		schema: []
	},
	create(context) {
		const filename = context.filename.replaceAll('\\', '/');
		if (!filename.includes('/src/lib/domain/')) return {};
		const isTest = /\.(spec|test)\.ts$/.test(filename);
		/** @param {import('estree').Node & { source?: any }} node */
		function check(node) {
			if (!node.source || typeof node.source.value !== 'string') return;
			const source = node.source.value;
			if (source.startsWith('.')) {
				// Relative imports must not climb out of the domain folder.
				const depth = filename.split('/src/lib/domain/')[1].split('/').length - 1;
				const ups = source.split('/').filter((p) => p === '..').length;
				if (ups > depth) context.report({ node, messageId: 'impure', data: { source } });
				return;
			}
			const pkg = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
			if (allowedPackages.has(pkg)) return;
			if (isTest && (pkg === 'vitest' || pkg === 'fast-check')) return;
			context.report({ node, messageId: 'impure', data: { source } });
		}
		const browserGlobals = ['window', 'document', 'navigator', 'indexedDB', 'localStorage', 'fetch'];
		return {
			ImportDeclaration: check,
			ExportNamedDeclaration: check,
			ExportAllDeclaration: check,
			ImportExpression(node) {
				if (node.source.type === 'Literal') check(/** @type {any} */ ({ ...node, source: node.source }));
			},
			Identifier(node) {
				if (!browserGlobals.includes(node.name)) return;
				const scope = context.sourceCode.getScope(node);
				let s = scope;
				while (s) {
					if (s.set.has(node.name)) return;
					s = s.upper;
				}
				const parent = /** @type {any} */ (node).parent;
				if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
				if (parent?.type === 'Property' && parent.key === node) return;
				context.report({ node, messageId: 'browserGlobal', data: { name: node.name } });
			}
		};
	}
};
