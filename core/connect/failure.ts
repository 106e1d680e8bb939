import { QuellError } from '../api/errors.js';
import { isConnectorError } from '../../connectors/sdk/index.js';

/**
 * A connector's failure as a QuellError the UI can switch on: bad settings are `invalid_input`, everything the
 * remote system or the network did is `unavailable` with the ConnectorError's kind, status and vendor message in
 * `details`. The message names the connector and the request; ConnectorErrors never carry a credential.
 */
export function connectorFailure(err: unknown, name: string): QuellError {
  if (err instanceof QuellError) return err;
  if (isConnectorError(err)) {
    const e = err.withConnector(name);
    return new QuellError(e.kind === 'config' ? 'invalid_input' : 'unavailable', e.message, { details: e.toJSON() });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new QuellError('bug', `connector ${name} failed unexpectedly: ${message}`, { details: { connector: name } });
}
