/**
 * The simulated services by name: what fault plans, recordings and transports key on. Its own
 * leaf, below both simulator/core (which applies faults) and simulator/faults (whose plans name
 * services), so neither has to import the other's way.
 */
export const SERVICE_NAMES = ['distribution', 'mission-control', 'source', 'upstream'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
