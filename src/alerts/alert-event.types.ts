import { ConnectionType } from '../common/connection';
import { AlertEvent } from './alert-event.entity';

export const AlertEventConnection = ConnectionType('AlertEvent', AlertEvent);
