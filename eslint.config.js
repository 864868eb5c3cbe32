import neo from 'neostandard'

export default [
  ...neo({ ts: true, ignores: ['dist/**', 'node_modules/**', 'data/**', 'migrations/**', 'openapi/**', 'coverage/**'] }),
  {
    rules: {
      // a zod schema and its inferred type share one name (`Article` and `type Article`) by design
      '@typescript-eslint/no-redeclare': 'off',
    },
  },
]
