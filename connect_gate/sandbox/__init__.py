"""The sandbox: a throwaway database seeded Connect-shaped, where the app's own migrations ran.

`connect-gate seed --record` seeds it and installs the recorder (recorder_sql.py); the app's
migrate command runs; the gate's `sandbox-url` judges what was recorded (judge.py) with the
migration rules and the database checks. `connect-gate seed --cleanup` removes the recorder.
"""
