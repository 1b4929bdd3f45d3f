"""The gate's own checks on its inputs (the policy), decided like any other finding."""
