/** The window's one alerts store (preferences from localStorage). */
import { browserAlertsEnv } from './alerts-env';
import { createAlertsStore } from './alerts-store';

export const alertsStore = createAlertsStore(browserAlertsEnv(false));
