/** Every feature the server offers, each in its own module (capabilities + handlers). */
import type { Feature } from './context.js';
import { editingFeatures } from './editing-features.js';
import { inspectionFeatures } from './inspection-features.js';

export const FEATURES: readonly Feature[] = [...inspectionFeatures, ...editingFeatures];
