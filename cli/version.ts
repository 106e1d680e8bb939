// Kept in step with package.json by the test "version matches package.json".
export const VERSION = '0.1.0';
