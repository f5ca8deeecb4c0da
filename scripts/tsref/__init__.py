"""PyTorch re-implementations of the reference forecasters (TSMixer, PatchTSMixer, TimeMixer), module by module
with the reference attribute names, used by gen_timeseries_fixtures.py and ts_reference_train.py."""
