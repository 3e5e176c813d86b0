package dev.strata.assign;

/** Every row's leaf and its squared distance to that leaf's centroid. */
public record LeafAssignment(int[] leaf, float[] distanceSq) {}
