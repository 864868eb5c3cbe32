// An error a command reports as one line on standard error with exit code 1, without a stack trace:
// a mistake of the user's (a missing file, a wrong place to run a command), not a bug.
export class CommandError extends Error {}
