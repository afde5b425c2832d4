import AmanaKit
