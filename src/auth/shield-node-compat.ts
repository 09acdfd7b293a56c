import util from 'node:util';

// graphql-shield 7.6.5 (the latest release) calls util.isUndefined in its and/or/chain rules;
// Node 23 removed it. The fix is merged upstream (maticzav/graphql-shield#1552) but unreleased.
const legacyUtil = util as typeof util & { isUndefined?: (value: unknown) => boolean };
legacyUtil.isUndefined ??= (value: unknown) => value === undefined;
