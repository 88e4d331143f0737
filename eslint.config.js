import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';
import domainStaysPure from './.eslint/domain-stays-pure.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'sync-server/dist/',
			'data/',
			'bench/cache/',
			'test-results/',
			'playwright-report/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// State classes keep maps and sets in $state.raw and replace them whole (never mutate them), the
			// pattern Svelte recommends for large data; this rule cannot tell that apart from mutation.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			// IndexedDB, WebSerial and WebHID are all async: an unawaited promise is a lost sale or a silent error.
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	{
		files: ['src/lib/domain/**/*.ts'],
		plugins: { branchline: { rules: { 'domain-stays-pure': domainStaysPure } } },
		rules: { 'branchline/domain-stays-pure': 'error' }
	}
);
