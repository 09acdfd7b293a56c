import { BadUserInputError } from '../errors';

/** Relay global IDs: base64url of `Type:id`, opaque to clients. */
export function toGlobalId(typeName: string, id: number | string): string {
  return Buffer.from(`${typeName}:${id}`).toString('base64url');
}

export interface DecodedGlobalId {
  typeName: string;
  id: number;
}

export function fromGlobalId(globalId: string): DecodedGlobalId {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  const typeName = decoded.slice(0, separator);
  const digits = decoded.slice(separator + 1);
  const id = Number(digits);
  // Digits only: `1e3` or ` 7` would name row 1000 or 7 through Number().
  if (separator <= 0 || !/^[1-9][0-9]*$/.test(digits) || !Number.isSafeInteger(id)) {
    throw new BadUserInputError(`"${globalId}" is not a valid ID`);
  }
  return { typeName, id };
}

/** Decodes a global ID that must name `typeName`; the error names the argument. */
export function idOf(typeName: string, globalId: string, argument = 'id'): number {
  const decoded = fromGlobalId(globalId);
  if (decoded.typeName !== typeName) {
    throw new BadUserInputError(`${argument} must be a ${typeName} ID, got a ${decoded.typeName} ID`, argument);
  }
  return decoded.id;
}
