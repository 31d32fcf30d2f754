# portlens: one read of this Windows host's sockets, processes and services, printed as one JSON object.
# Run by WindowsSocketTable as: powershell.exe -NoProfile -NonInteractive -EncodedCommand <this, UTF-16LE, base64>,
# with the two markers of $low and $high below replaced by the ports asked about (numbers only).
# Each part is tried on its own; a part that fails is named in "errors" with its message, and the
# reader falls back to netstat -ano (sockets) or tasklist (processes, services) for that part.
# Property names are the cmdlets' own, so a hand-made recording of the same Select-Object parses too.
$ErrorActionPreference = 'Stop'
# nothing but the JSON on stdout: Windows PowerShell 5.1 writes warnings and progress there too
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$out = [ordered]@{ format = 1; errors = [ordered]@{} }
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { $out.errors.encoding = $_.Exception.Message }
$low = @LOW@
$high = @HIGH@
# every port (portlens ls): the listeners only; some ports: their established connections too, to count
$every = ($low -le 1 -and $high -ge 65535)
try {
    # no -State filter: it fails ("No MSFT_NetTCPConnection objects found") for a state with no socket
    $out.tcp = @(Get-NetTCPConnection |
        Where-Object { [string]$_.State -eq 'Listen' -or (-not $every -and [string]$_.State -eq 'Established' -and
            $_.LocalPort -ge $low -and $_.LocalPort -le $high) } |
        ForEach-Object { [ordered]@{ LocalAddress = $_.LocalAddress; LocalPort = [int]$_.LocalPort;
            State = [string]$_.State; OwningProcess = [int]$_.OwningProcess } })
} catch { $out.errors.tcp = $_.Exception.Message }
try {
    $out.udp = @(Get-NetUDPEndpoint | ForEach-Object { [ordered]@{ LocalAddress = $_.LocalAddress;
        LocalPort = [int]$_.LocalPort; OwningProcess = [int]$_.OwningProcess } })
} catch { $out.errors.udp = $_.Exception.Message }
$procs = $null
try {
    $procs = @(Get-CimInstance Win32_Process)
    $out.processes = @($procs | ForEach-Object { [ordered]@{ ProcessId = [int]$_.ProcessId;
        ParentProcessId = [int]$_.ParentProcessId; Name = $_.Name; ExecutablePath = $_.ExecutablePath;
        CommandLine = $_.CommandLine; SessionId = [int]$_.SessionId;
        CreationDate = $(if ($_.CreationDate) { $_.CreationDate.ToUniversalTime().ToString('o') } else { $null }) } })
} catch { $out.errors.processes = $_.Exception.Message }
try {
    # the users of the listeners on the ports asked about (GetOwner is one call per process: only these);
    # a process that exits meanwhile is passed over
    $pids = @(@($out.tcp) + @($out.udp) | Where-Object { $_ -and $_.LocalPort -ge $low -and $_.LocalPort -le $high -and
        $_.State -ne 'Established' } | ForEach-Object { $_.OwningProcess } | Sort-Object -Unique)
    $out.owners = @($procs | Where-Object { $pids -contains [int]$_.ProcessId } | ForEach-Object {
        try {
            $o = Invoke-CimMethod -InputObject $_ -MethodName GetOwner
            [ordered]@{ ProcessId = [int]$_.ProcessId; ReturnValue = [int]$o.ReturnValue; Domain = $o.Domain;
                User = $o.User }
        } catch { }
    })
} catch { $out.errors.owners = $_.Exception.Message }
try {
    $out.services = @(Get-CimInstance Win32_Service -Filter 'ProcessId <> 0' | ForEach-Object { [ordered]@{
        Name = $_.Name; DisplayName = $_.DisplayName; ProcessId = [int]$_.ProcessId; State = $_.State;
        StartMode = $_.StartMode } })
} catch { $out.errors.services = $_.Exception.Message }
try {
    $out.admin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole(
        [Security.Principal.WindowsBuiltInRole]::Administrator)
} catch { $out.errors.admin = $_.Exception.Message }
ConvertTo-Json -InputObject $out -Depth 4 -Compress
