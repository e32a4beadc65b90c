// A command line the CLI cannot run (bad option value, unreadable file): exit code 2.
export class UsageError extends Error {}
