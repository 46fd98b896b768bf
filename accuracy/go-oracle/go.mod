module graphhub.local/accuracy/go-oracle

go 1.19
