// An error the API answers with its own status (404 unknown id, 422, 503, 504…) and message.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
