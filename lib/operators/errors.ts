/** The operators' entry point's errors: a request refused, with the HTTP status it is answered with. */
export class OperatorError extends Error {
  override name = 'OperatorError';
}

/** A request the entry point will not carry out, said in one line; nothing was written. */
export class OperatorRefusedError extends OperatorError {
  override name = 'OperatorRefusedError';
  constructor(
    message: string,
    /** 400 bad request, 403 not this caller's to do, 404 no such hold, 409 the hold is not as the caller saw it. */
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
  }
}
