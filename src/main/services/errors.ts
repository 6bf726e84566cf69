/** A referenced record does not exist; transports answer `not_found` instead of `failed`. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
