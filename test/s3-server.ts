// Moved beside the cluster target, which starts one too (scenarios/ may not import test/).
export * from '../scenarios/targets/throwaway-s3.ts';
