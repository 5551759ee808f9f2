package io.statelesslb.domain.decide;

/** Why a command was rejected, in a form a caller can act on (the HTTP API maps these to status codes). */
public enum ProblemKind {
    /** A required value is absent. */
    MISSING,
    /** A value does not parse: an address, CIDR, port range, protocol, byte match, MAC. */
    MALFORMED,
    /** A name breaks the naming rule. */
    INVALID_NAME,
    /** A number lies outside its range. */
    OUT_OF_RANGE,
    /** A referenced object is not defined. */
    UNKNOWN_REFERENCE,
    /** The value is already held by another object. */
    CONFLICT,
    /** The object is still used by others and cannot be deleted. */
    STILL_REFERENCED,
    /** The field cannot change in the object's current situation. */
    IMMUTABLE,
    /** The combination of fields is inconsistent. */
    INCONSISTENT
}
