/**
 * Electron main entry. Everything lives in app/ (the shell) and engine/ (the product).
 */
import { startDesktopApp } from './app/main';

void startDesktopApp();
