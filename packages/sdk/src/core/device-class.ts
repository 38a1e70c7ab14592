/**
 * The coarse device class: the only trace of the user agent that leaves the device
 * (DESIGN.md, Pseudonymisation). Tablets first, because Android tablets omit "Mobile" and
 * iPadOS reports itself as a Macintosh with a touch screen.
 */
import type { DeviceClass } from '@heed/policy';

/**
 * @example deviceClass('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) ... Mobile/15E148', 5) // 'mobile'
 */
export function deviceClass(userAgent = '', touchPoints = 0): DeviceClass {
  return /iPad|Tablet|Android(?!.*Mobi)/i.test(userAgent) || (/Mac/.test(userAgent) && touchPoints > 1)
    ? 'tablet'
    : /Mobi|iPhone|Android/i.test(userAgent)
      ? 'mobile'
      : /Windows|Mac|Linux|CrOS/.test(userAgent)
        ? 'desktop'
        : 'other';
}
