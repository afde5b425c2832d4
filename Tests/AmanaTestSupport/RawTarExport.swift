/// Tests build hostile archives with ``RawTar``, which the vector generator shares; importing AmanaTestSupport is
/// enough to use it.
@_exported import RawTar
