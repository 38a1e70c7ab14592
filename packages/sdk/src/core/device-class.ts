/**
 * The coarse device class: the only trace of the device's make that leaves it (DESIGN.md,
 * Pseudonymisation). Read from media features, not from the user-agent string (which
 * browsers are freezing and reducing): a coarse primary pointer is a touch device, a phone
 * when the shorter side of its screen is under 600 CSS pixels (the compact width of common
 * layout guidelines), a tablet otherwise. A touch-screen laptop keeps a fine primary
 * pointer and counts as a desktop.
 */
import type { DeviceClass } from '@heed/policy';

/**
 * @example deviceClass(true, 390) // 'mobile'
 * @example deviceClass(false, 1080) // 'desktop'
 */
export function deviceClass(coarsePointer: boolean, shortSide: number): DeviceClass {
  return coarsePointer ? (shortSide < 600 ? 'mobile' : 'tablet') : 'desktop';
}
