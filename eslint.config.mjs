// @ts-check
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

// Where code runs decides what it may import (VS Code's common/node/electron-main split):
//   src/shared       — pure contract, runs everywhere: no Node, no Electron
//   src/main/engine  — plain Node: no Electron (testable and usable from the CLI)
//   src/main/cli     — plain Node: no Electron
//   src/main/electron— the thin Electron shell
//   src/preload      — sandboxed bridge: Electron's renderer-side modules only
//   src/renderer     — browser code: no Node, no Electron, no main
const noElectron = {
  name: 'electron',
  message: 'The engine, CLI and shared contract must not import electron: inject what you need.'
}
const electronSubpaths = { group: ['electron/*'], message: noElectron.message }

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'resources/**',
      'docs/**',
      'reports/**',
      '.stryker-tmp/**',
      '.stryker-tmp-*/**'
    ]
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ]
    }
  },
  {
    files: ['src/main/engine/**/*.ts', 'src/main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            electronSubpaths,
            {
              group: ['**/electron/**', '../electron/*'],
              message: 'The engine must not depend on the Electron shell.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            electronSubpaths,
            {
              group: ['node:*', 'fs', 'path', 'os'],
              message: 'src/shared runs in the renderer too: no Node modules.'
            },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/shared depends on nothing else.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to main only through window.creditTray.'
            }
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer is browser code: no Node modules.' },
            {
              group: ['**/main/**', '**/preload/index*'],
              message: 'The renderer may import only src/shared and its own code.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'The preload may import only src/shared.'
            }
          ]
        }
      ]
    }
  }
)
