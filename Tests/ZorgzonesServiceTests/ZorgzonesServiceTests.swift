import Testing
@testable import ZorgzonesService
