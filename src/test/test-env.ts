/** Fixed settings for the test run; secrets here are throwaway test values. */
export const TEST_ENV = {
  ENCRYPTION_KEY: '0f'.repeat(32),
  NEXTAUTH_SECRET: 'test-nextauth-secret-test-nextauth-secret',
  ADMIN_EMAIL: 'admin@test.local',
  ADMIN_PASSWORD: 'admin-test-password',
  PASSWORD_HASH_ROUNDS: '4',
  JOBS_ENABLED: 'false',
} as const;
