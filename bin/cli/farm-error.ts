// An error answered by the farm (its message), or no answer at all: exit code 1.
export class FarmError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
