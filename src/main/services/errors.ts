/**
 * The error kinds the services throw, from core/errors: the API maps each to its error code (and the HTTP
 * transport to a status). `NotFoundError` is the services' name for a missing record.
 */
export { apiErrorCodeOf, Conflict, InputError, NotFound as NotFoundError, TooLarge } from '../../shared/errors';
