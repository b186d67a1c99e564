import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const conditions = ['@pressbox/source', ...defaultServerConditions];

/** Test settings every package shares: source imports across packages, no watch, real services. */
export const sharedTestConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@pressbox/source'] } },
  environments: {
    ssr: { resolve: { conditions, externalConditions: ['@pressbox/source'] } },
    __vitest__: { resolve: { conditions, externalConditions: ['@pressbox/source'] } },
  },
  test: {
    watch: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    restoreMocks: true,
  },
});
